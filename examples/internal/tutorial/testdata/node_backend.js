// The tutorial's /decrypt-gather Twilio Function as a plain Node server,
// with its key-decoding bug fixed (the key is read as hex). Only Node's
// own crypto and http. It prints its port, then serves until killed.
// With the argument "seal DIGITS...", it instead prints the tutorial's
// encrypt of each, one a line, and exits.
'use strict';
const crypto = require('crypto');
const http = require('http');

const key = Buffer.from(process.env.AES_SECRET, 'hex');

function encrypt(text) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  let enc = cipher.update(text, 'utf8', 'hex');
  enc += cipher.final('hex');
  return iv.toString('hex') + enc + cipher.getAuthTag().toString('hex');
}

function decrypt(sealed) {
  const iv = Buffer.from(sealed.slice(0, 24), 'hex');
  const tag = Buffer.from(sealed.slice(-32), 'hex');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  let out = decipher.update(sealed.slice(24, -32), 'hex', 'utf8');
  out += decipher.final('utf8');
  return out;
}

if (process.argv[2] === 'seal') {
  for (const d of process.argv.slice(3)) console.log(encrypt(d));
  process.exit(0);
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    try {
      const event = JSON.parse(body);
      const card = decrypt(event.encryptedCardDigits);
      const pin = decrypt(event.encryptedPinDigits);
      if (card === '1234' && pin === '4321') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ account: 'AC12345678', balance: '12.55' }));
        return;
      }
    } catch (e) {
      // The tutorial answers every failure the same way.
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('No data found');
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
