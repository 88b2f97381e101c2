// A loopback SMTP server for n8n's Email nodes (nodemailer's own smtp-server and mailparser): it
// accepts every mail, without TLS or login, and keeps each one with the approve and decline
// links a "Send and Wait" mail carries.
import type { AddressInfo } from 'node:net';

import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

import { waitFor } from './waitFor';

export interface ReceivedMail {
	from: string;
	to: string;
	subject: string;
	/** The plain text (mailparser derives it from the HTML when the mail has none). */
	text: string;
	html: string;
	/** Every link of the HTML, in order, entities decoded. */
	links: string[];
	/** The link with `approved=true` (n8n's approve button), if any. */
	approveUrl?: string;
	/** The link with `approved=false` (n8n's decline button), if any. */
	declineUrl?: string;
}

export interface FakeSmtp {
	host: string;
	port: number;
	/** Every mail received, in order. */
	mails(): ReceivedMail[];
	/** Waits for the first mail after the first `after` that satisfies `matches`. */
	waitForMail(
		matches: (mail: ReceivedMail) => boolean,
		options?: { after?: number; timeoutMs?: number },
	): Promise<ReceivedMail>;
	close(): Promise<void>;
}

function decodeEntities(text: string): string {
	return text
		.replace(/&amp;/g, '&')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>');
}

/** The href of every link of an HTML mail. */
export function linksOf(html: string): string[] {
	return [...html.matchAll(/<a\b[^>]*\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((match) =>
		decodeEntities(match[1] ?? match[2] ?? ''),
	);
}

function withApproved(links: string[], approved: 'true' | 'false'): string | undefined {
	return links.find((link) => {
		try {
			return new URL(link).searchParams.get('approved') === approved;
		} catch {
			return false;
		}
	});
}

export async function startFakeSmtp(): Promise<FakeSmtp> {
	const received: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					const html = typeof parsed.html === 'string' ? parsed.html : '';
					const links = linksOf(html);
					received.push({
						from: parsed.from?.text ?? '',
						to: [parsed.to ?? []]
							.flat()
							.map((address) => address.text)
							.join(', '),
						subject: parsed.subject ?? '',
						text: parsed.text ?? '',
						html,
						links,
						approveUrl: withApproved(links, 'true'),
						declineUrl: withApproved(links, 'false'),
					});
					callback();
				})
				.catch((error: Error) => callback(error));
		},
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.server.address() as AddressInfo;

	return {
		host: '127.0.0.1',
		port,
		mails: () => [...received],
		waitForMail: async (matches, { after = 0, timeoutMs = 60_000 } = {}) =>
			await waitFor(
				'a mail at the fake SMTP server',
				() => received.slice(after).find(matches),
				timeoutMs,
			),
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
