// The package's main entry: the classes n8n loads (it reads the `n8n` field of package.json).
const { EtnaTrader } = require('./dist/nodes/EtnaTrader/EtnaTrader.node');
const { EtnaTraderTrigger } = require('./dist/nodes/EtnaTraderTrigger/EtnaTraderTrigger.node');
const { EtnaTraderApi } = require('./dist/credentials/EtnaTraderApi.credentials');

module.exports = { EtnaTrader, EtnaTraderTrigger, EtnaTraderApi };
