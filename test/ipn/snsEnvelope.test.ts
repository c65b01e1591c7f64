import { X509Certificate, verify } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IpnNotification } from '../../server/ipn/notifications.js';
import { signingIdentity, type SigningIdentity } from '../../server/ipn/signingIdentity.js';
import { buildEnvelope, envelopeBody, envelopeFor, merchantIdOf, snsStringToSign, topicArnOf } from '../../server/ipn/snsEnvelope.js';

const notification: IpnNotification = {
  merchant: 'DEMO-KEY-1',
  objectType: 'CHARGE',
  objectId: 'S01-1111111-2222222-C000001',
  chargePermissionId: 'S01-1111111-2222222',
  notificationType: 'STATE_CHANGE',
};

let signer: SigningIdentity;
beforeAll(async () => {
  signer = await signingIdentity();
});

function build(signed: boolean, subject?: string) {
  return buildEnvelope({
    notification,
    messageId: '11111111-2222-4333-8444-555555555555',
    notificationId: '66666666-7777-4888-9999-000000000000',
    timestamp: Date.UTC(2025, 0, 2, 3, 4, 5, 67),
    publicUrl: 'https://127.0.0.1:8443/',
    signer: signed ? signer : null,
    ...(subject !== undefined ? { subject } : {}),
  });
}

describe('merchant ids', () => {
  it('are A + 13 of A-Z0-9, stable per namespace and distinct between namespaces', () => {
    expect(merchantIdOf('DEMO-KEY-1')).toMatch(/^A[A-Z0-9]{13}$/);
    expect(merchantIdOf('DEMO-KEY-1')).toBe(merchantIdOf('DEMO-KEY-1'));
    expect(merchantIdOf('DEMO-KEY-2')).not.toBe(merchantIdOf('DEMO-KEY-1'));
    expect(topicArnOf('DEMO-KEY-1')).toBe(`arn:aws:sns:us-east-1:000000000000:${merchantIdOf('DEMO-KEY-1')}`);
  });
});

describe('SNS envelope', () => {
  it('carries the Message as a JSON string of the documented shape', () => {
    const e = build(true);
    expect(Object.keys(e)).toEqual(['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL']);
    expect(e).toMatchObject({
      Type: 'Notification',
      MessageId: '11111111-2222-4333-8444-555555555555',
      TopicArn: topicArnOf('DEMO-KEY-1'),
      Timestamp: '2025-01-02T03:04:05.067Z',
      SignatureVersion: '1',
      SigningCertURL: 'https://127.0.0.1:8443/__admin/ipn/signing-cert.pem',
      UnsubscribeURL: 'https://127.0.0.1:8443/__admin/ipn/unsubscribe?merchant=DEMO-KEY-1',
    });
    expect(typeof e.Message).toBe('string');
    expect(JSON.parse(e.Message)).toEqual({
      MerchantID: merchantIdOf('DEMO-KEY-1'),
      ObjectType: 'CHARGE',
      ObjectId: 'S01-1111111-2222222-C000001',
      ChargePermissionId: 'S01-1111111-2222222',
      NotificationType: 'STATE_CHANGE',
      NotificationId: '66666666-7777-4888-9999-000000000000',
      NotificationVersion: 'V2',
    });
    expect(JSON.parse(envelopeBody(e))).toEqual(e);
  });

  it('builds the SNS string to sign in field order, Subject only when present', () => {
    const e = build(true);
    expect(snsStringToSign(e)).toBe(`Message\n${e.Message}\nMessageId\n${e.MessageId}\nTimestamp\n${e.Timestamp}\nTopicArn\n${e.TopicArn}\nType\nNotification\n`);
    expect(snsStringToSign({ ...e, Subject: 'hi' })).toContain(`MessageId\n${e.MessageId}\nSubject\nhi\nTimestamp\n`);
  });

  it('gives each endpoint a copy whose UnsubscribeURL names that endpoint, under the same signature', () => {
    const e = build(true);
    const copy = envelopeFor(e, 'https://shop.example/ipn?a=1&b=2');
    expect(new URL(copy.UnsubscribeURL).searchParams.getAll('url')).toEqual(['https://shop.example/ipn?a=1&b=2']);
    expect(new URL(copy.UnsubscribeURL).searchParams.get('merchant')).toBe('DEMO-KEY-1');
    expect({ ...copy, UnsubscribeURL: e.UnsubscribeURL }).toEqual(e);
    const publicKey = new X509Certificate(signer.certPem).publicKey;
    expect(verify('RSA-SHA1', Buffer.from(snsStringToSign(copy)), publicKey, Buffer.from(copy.Signature, 'base64'))).toBe(true);
  });

  it('is signed RSA-SHA1 with the served certificate: node:crypto verifies it', () => {
    const e = build(true);
    const canonical = snsStringToSign(e);
    const publicKey = new X509Certificate(signer.certPem).publicKey;
    expect(verify('RSA-SHA1', Buffer.from(canonical), publicKey, Buffer.from(e.Signature, 'base64'))).toBe(true);
    // Any change to a signed field breaks it.
    expect(verify('RSA-SHA1', Buffer.from(snsStringToSign({ ...e, MessageId: 'x' })), publicKey, Buffer.from(e.Signature, 'base64'))).toBe(false);
  });

  it('node-forge verifies it as well (SHA-1 digest, PKCS#1 v1.5)', () => {
    const e = build(true, 'a subject');
    expect(e.Subject).toBe('a subject');
    const cert = forge.pki.certificateFromPem(signer.certPem);
    const md = forge.md.sha1.create();
    md.update(snsStringToSign(e), 'utf8');
    const ok = (cert.publicKey as forge.pki.rsa.PublicKey).verify(md.digest().bytes(), forge.util.decode64(e.Signature));
    expect(ok).toBe(true);
    expect(cert.subject.getField('CN').value).toBe('sns.amazonaws.com');
  });

  it('signs UTF-8 text as bytes', () => {
    const e = buildEnvelope({ notification: { ...notification, objectId: 'ö-ሴ' }, messageId: 'm', notificationId: 'n', timestamp: 0, publicUrl: 'http://h', signer });
    const publicKey = new X509Certificate(signer.certPem).publicKey;
    expect(verify('RSA-SHA1', Buffer.from(snsStringToSign(e), 'utf8'), publicKey, Buffer.from(e.Signature, 'base64'))).toBe(true);
  });

  it('unsigned mode sends empty Signature and SigningCertURL', () => {
    const e = build(false);
    expect(e.Signature).toBe('');
    expect(e.SigningCertURL).toBe('');
    expect(e.SignatureVersion).toBe('1');
    expect(e.UnsubscribeURL).toContain('/__admin/ipn/unsubscribe?merchant=');
  });

  it('uses one identity per process', async () => {
    expect(await signingIdentity()).toBe(signer);
    expect(signer.certPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
