// n8n's own logger at its most talkative, writing to a file the tests can read back to check
// that no secret ever reaches a log line. Set before n8n's config is first read.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_OUTPUT = 'file';
process.env.N8N_LOG_FORMAT = 'json';
process.env.N8N_LOG_FILE_LOCATION = path.join(
	mkdtempSync(path.join(tmpdir(), 'etna-jest-')),
	'n8n.log',
);
