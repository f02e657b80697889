// The tutorial "Protect Twilio Voice Input with Encryption and Redaction"
// as one plain Node server, a baseline for loadcall: its three Twilio
// Functions kept as they are written, served by Node's own http.
//
// Faithful by default: `Twilio` is require('twilio') (the helper library,
// the global a Twilio Function sees), so each step's TwiML is built by
// `new Twilio.twiml.VoiceResponse()`, and the backend is called with
// `axios.post`, both at the versions pinned in package-lock.json. Install
// them with `npm ci` in this directory; without them the server exits at
// once and says so.
//
// BASELINE=bare runs the same functions on a shim instead of the two
// packages: a small VoiceResponse that writes the same bytes for the verbs
// the tutorial uses, and an axios.post made of http.request. It needs no
// install (the tests use it) and shows what the packages cost.
//
// Differences from the tutorial, all forced by running outside Twilio:
//   - the key is read as hex on both sides (the tutorial's decrypt reads
//     the UTF-8 bytes of the hex string and can never open a value);
//   - context.DOMAIN_NAME is the request's Host, and URLs are http;
//   - a small stand-in for the Twilio Functions runtime merges the query
//     and form body into the event, answers each callback, and provides
//     Twilio.Response.
// Like the tutorial, it checks no X-Twilio-Signature.
//
// Usage: PORT=8080 AES_SECRET=<64 hex> [BASELINE=bare] node server.js
'use strict';
const crypto = require('crypto');
const http = require('http');

const context = { AES_SECRET: process.env.AES_SECRET };

// encrypted-gather.js

const algorithm = 'aes-256-gcm';

function encryptString(text, ctx) {
  const key = Buffer.from(ctx.AES_SECRET, 'hex');
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv(algorithm, key, iv);
  let encrypted = cipher.update(text, 'utf8', 'hex');
  encrypted += cipher.final('hex');
  const tag = cipher.getAuthTag().toString('hex');
  return iv.toString('hex') + encrypted + tag;
}

function gatherLast4Card(twiml, functionUrl) {
  const gather = twiml.gather({
    action: `${functionUrl}?step=getPin`,
    method: 'POST',
    input: 'dtmf',
    timeout: 10,
    numDigits: 4,
  });
  gather.say('Please enter last 4 digits of your payment card number.');
}

function gatherPin(twiml, encryptedCardDigits, functionUrl) {
  const gather = twiml.gather({
    action: `${functionUrl}?step=processData&encryptedCardDigits=${encryptedCardDigits}`,
    method: 'POST',
    input: 'dtmf',
    timeout: 10,
    numDigits: 4,
  });
  gather.say('Please enter your unique 4 digit identification number');
}

async function processGatheredData(twiml, encryptedCardDigits, encryptedPinDigits, ctx) {
  try {
    const response = await axios.post(`http://${ctx.DOMAIN_NAME}/decrypt-gather`, {
      encryptedCardDigits,
      encryptedPinDigits,
    });
    const { account, balance } = response.data;
    twiml.say(`Thank you. Your account number is ${account} and your balance is ${balance}`);
  } catch (e) {
    twiml.say('We were not able to locate you in our system. Goodbye.');
  }
}

async function encryptedGather(ctx, event, callback) {
  const twiml = new Twilio.twiml.VoiceResponse();
  const step = event.step || 'getLast4CC';
  const functionUrl = `http://${ctx.DOMAIN_NAME}/encrypted-gather`;
  switch (step) {
    case 'getLast4CC':
      gatherLast4Card(twiml, functionUrl);
      break;
    case 'getPin': {
      const encryptedCardDigits = encryptString(event.Digits, ctx);
      gatherPin(twiml, encryptedCardDigits, functionUrl);
      break;
    }
    case 'processData': {
      const encryptedPinDigits = encryptString(event.Digits, ctx);
      await processGatheredData(twiml, event.encryptedCardDigits, encryptedPinDigits, ctx);
      break;
    }
  }
  return callback(null, twiml);
}

// decrypt-gather.js

function decryptString(encrypted, ctx) {
  const key = Buffer.from(ctx.AES_SECRET, 'hex');
  const iv = Buffer.from(encrypted.slice(0, 24), 'hex');
  const tag = Buffer.from(encrypted.slice(-32), 'hex');
  const decipher = crypto.createDecipheriv(algorithm, key, iv);
  decipher.setAuthTag(tag);
  let decrypted = decipher.update(encrypted.slice(24, -32), 'hex', 'utf8');
  decrypted += decipher.final('utf8');
  return decrypted;
}

async function decryptGather(ctx, event, callback) {
  const response = new FunctionResponse();
  try {
    const cardDigits = decryptString(event.encryptedCardDigits, ctx);
    const pinDigits = decryptString(event.encryptedPinDigits, ctx);
    if (cardDigits === '1234' && pinDigits === '4321') {
      return callback(null, { account: 'AC12345678', balance: '12.55' });
    }
  } catch (e) {
    // The tutorial answers every failure the same way.
  }
  response.setStatusCode(404);
  response.setBody('No data found');
  return callback(null, response);
}

// The shim for BASELINE=bare: what the twilio library and axios provide.

function escapeXML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
}

function element(name, attrs, children) {
  let out = `<${name}`;
  for (const [k, v] of Object.entries(attrs || {})) out += ` ${k}="${escapeXML(v)}"`;
  if (children.length === 0) return out + '/>';
  return out + '>' + children.join('') + `</${name}>`;
}

// VoiceResponse renders the verbs the tutorial uses, byte for byte as the
// twilio library writes them.
class VoiceResponse {
  constructor() { this.verbs = []; }
  say(text) { this.verbs.push(`<Say>${escapeXML(text)}</Say>`); }
  gather(attrs) {
    const nested = [];
    this.verbs.push(() => element('Gather', attrs, nested));
    return { say: (text) => nested.push(`<Say>${escapeXML(text)}</Say>`) };
  }
  toString() {
    const body = this.verbs.map((v) => (typeof v === 'function' ? v() : v)).join('');
    return `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
  }
}

// The runtime stand-in: what Twilio Functions provide.

// FunctionResponse is Twilio.Response.
class FunctionResponse {
  constructor() { this.statusCode = 200; this.body = ''; this.headers = {}; }
  setStatusCode(code) { this.statusCode = code; }
  setBody(body) { this.body = body; }
}

// postJSON is the tutorial's axios.post: it resolves with the parsed data
// of a 2xx answer and rejects otherwise.
function postJSON(url, data) {
  const body = JSON.stringify(data);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        if (res.statusCode < 200 || res.statusCode > 299) {
          reject(new Error(`Request failed with status code ${res.statusCode}`));
          return;
        }
        try {
          resolve({ status: res.statusCode, data: JSON.parse(text) });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// event merges the query and the body (form or JSON), as the runtime does.
function event(req, body) {
  const ev = {};
  const u = new URL(req.url, 'http://localhost');
  for (const [k, v] of u.searchParams) ev[k] = v;
  if ((req.headers['content-type'] || '').startsWith('application/json')) {
    Object.assign(ev, JSON.parse(body || '{}'));
  } else {
    for (const [k, v] of new URLSearchParams(body)) ev[k] = v;
  }
  return ev;
}

function answer(res, err, result) {
  if (err) {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(String(err));
  } else if (result instanceof Twilio.twiml.VoiceResponse) {
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    res.end(result.toString());
  } else if (result instanceof FunctionResponse) {
    res.writeHead(result.statusCode, { 'Content-Type': 'text/plain', ...result.headers });
    res.end(result.body);
  } else {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(result));
  }
}

// Twilio and axios are the tutorial's two packages, or the shim.
const { Twilio, axios } = process.env.BASELINE === 'bare' ? shim() : packages();

function packages() {
  try {
    return { Twilio: require('twilio'), axios: require('axios') };
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
    console.error(`server.js: the twilio and axios packages are not installed: run \`npm ci\` in ${__dirname}` +
      ' (or set BASELINE=bare for the shim)');
    process.exit(1);
  }
}

function shim() {
  return { Twilio: { twiml: { VoiceResponse } }, axios: { post: postJSON } };
}

const routes = { '/encrypted-gather': encryptedGather, '/decrypt-gather': decryptGather };

const server = http.createServer((req, res) => {
  const fn = routes[new URL(req.url, 'http://localhost').pathname];
  if (!fn) {
    res.writeHead(404);
    res.end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    let ev;
    try {
      ev = event(req, body);
    } catch (e) {
      answer(res, e);
      return;
    }
    const ctx = { ...context, DOMAIN_NAME: req.headers.host };
    fn(ctx, ev, (err, result) => answer(res, err, result)).catch((e) => answer(res, e));
  });
});

server.listen(Number(process.env.PORT || 8080), '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${server.address().port}`);
});
