// Skiff test harness (internal/ftptest/ftpsrv.go): one ftp-srv server.
// argv: port pasvMin pasvMax root user [certFile keyFile]; the password in
// $SKIFF_FTPTEST_PASSWORD. Modules from $NODE_PATH (.cache/ftp-srv).
'use strict';
const fs = require('fs');
const bunyan = require('bunyan');
const FtpSrv = require('ftp-srv');

const [port, pasvMin, pasvMax, root, user, certFile, keyFile] = process.argv.slice(2);
const password = process.env.SKIFF_FTPTEST_PASSWORD;
const opts = {
  url: 'ftp://127.0.0.1:' + port,
  pasv_url: '127.0.0.1',
  pasv_min: Number(pasvMin),
  pasv_max: Number(pasvMax),
  anonymous: false,
  greeting: 'ftp-srv (Skiff test)',
  log: bunyan.createLogger({ name: 'ftp-srv', level: 'info', stream: process.stderr }),
};
if (certFile) {
  opts.tls = { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
}
const server = new FtpSrv(opts);
server.on('login', ({ username, password: pass }, resolve, reject) => {
  if (username === user && pass === password) {
    resolve({ root });
  } else {
    reject(new Error('bad user or password'));
  }
});
server.listen().then(() => process.stderr.write('listening on ' + port + '\n'));
process.on('SIGTERM', () => process.exit(0));
