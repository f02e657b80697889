// The tutorial's encrypt and (with its key-decoding bug fixed) decrypt,
// using only Node's crypto, for aescrypt's interop test. Reads a JSON job
// on stdin, prints a JSON answer on stdout.
'use strict';
const crypto = require('crypto');

function encrypt(text, key, iv) {
  iv = iv || crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  let enc = cipher.update(text, 'utf8', 'hex');
  enc += cipher.final('hex');
  return iv.toString('hex') + enc + cipher.getAuthTag().toString('hex');
}

function decrypt(sealed, key) {
  const iv = Buffer.from(sealed.slice(0, 24), 'hex');
  const tag = Buffer.from(sealed.slice(-32), 'hex');
  const enc = sealed.slice(24, -32);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  let out = decipher.update(enc, 'hex', 'utf8');
  out += decipher.final('utf8');
  return out;
}

let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const job = JSON.parse(input);
  const key = Buffer.from(job.key, 'hex');
  const out = {
    sealed: job.plaintexts.map((p) => encrypt(p, key)),
    opened: job.sealed.map((s) => decrypt(s, key)),
    vectors: job.vectors.map((v) => encrypt(v.plaintext, Buffer.from(v.key, 'hex'), Buffer.from(v.nonce, 'hex'))),
  };
  process.stdout.write(JSON.stringify(out));
});
