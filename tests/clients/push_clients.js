// Pushes log lines to Fenrir through real Loki clients, as applications do:
// winston-loki (protobuf + snappy) and pino-loki (JSON).
// usage: node push_clients.js <winston|pino> <http://host:port> <run-id> <count>
'use strict';
const [client, host, run, countText] = process.argv.slice(2);
const count = Number(countText);

async function winstonPush() {
  const winston = require('winston');
  const LokiTransport = require('winston-loki');
  const transport = new LokiTransport({
    host, json: false, batching: true, interval: 0.2, replaceTimestamp: true,
    labels: { app: 'winston-test', run },
    format: winston.format.printf((info) => info.message),  // the line exactly as logged
    onConnectionError: (err) => { console.error('push failed:', err.message || err); process.exitCode = 1; },
  });
  const logger = winston.createLogger({ level: 'info', transports: [transport] });
  for (let i = 0; i < count; i++) logger.info(`winston line ${i} <&> "quoted" ünïcødé`);
  await new Promise((r) => setTimeout(r, 300));
  await transport.flush();
  transport.close();
}

async function pinoPush() {
  const pino = require('pino');
  const { pinoLoki } = require('pino-loki');
  const stream = pinoLoki({ host, batching: { interval: 0.2 }, labels: { app: 'pino-test', run } });
  const logger = pino({ base: null }, stream);
  for (let i = 0; i < count; i++) logger.info({ seq: i }, `pino line ${i}`);
  await new Promise((r) => setTimeout(r, 500));
  stream.end();
  await new Promise((r) => stream.on('close', r));
}

(client === 'winston' ? winstonPush() : pinoPush()).catch((err) => {
  console.error(err);
  process.exit(1);
});
