import { createHash, sign } from 'node:crypto';
import type { IpnNotification } from './notifications.js';
import type { SigningIdentity } from './signingIdentity.js';

/** The `Message` Amazon Pay puts in the envelope, as a JSON string ("Set up Instant Payment Notifications"). */
export interface IpnMessage {
  MerchantID: string;
  ObjectType: string;
  ObjectId: string;
  ChargePermissionId: string | null;
  NotificationType: string;
  NotificationId: string;
  NotificationVersion: 'V2';
}

/** The Amazon SNS HTTP(S) notification body. */
export interface SnsEnvelope {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  /** JSON text of an IpnMessage. */
  Message: string;
  Timestamp: string;
  SignatureVersion: '1';
  /** Base64 RSA-SHA1 over `snsStringToSign`; empty in unsigned mode. */
  Signature: string;
  /** Empty in unsigned mode. */
  SigningCertURL: string;
  UnsubscribeURL: string;
}

export interface EnvelopeInput {
  notification: IpnNotification;
  messageId: string;
  notificationId: string;
  /** Wall-clock ms of publication. */
  timestamp: number;
  /** Base URL of the mock (no trailing slash needed). */
  publicUrl: string;
  /** The identity to sign with, or null for the unsigned mode. */
  signer: SigningIdentity | null;
  subject?: string;
}

/** Path of the signing certificate under the mock's public URL. */
export const signingCertPath = '/__admin/ipn/signing-cert.pem';
export const unsubscribePath = '/__admin/ipn/unsubscribe';

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A merchant (seller) id in Amazon's form, `A` + 13 of A-Z0-9, derived stably from the namespace. */
export function merchantIdOf(ns: string): string {
  const digest = createHash('sha256').update(`amazon-pay-mock merchant ${ns}`).digest();
  let id = 'A';
  for (let i = 0; i < 13; i++) id += alnum[digest[i]! % alnum.length];
  return id;
}

/** The SNS topic a merchant's notifications are published on. */
export function topicArnOf(ns: string): string {
  return `arn:aws:sns:us-east-1:000000000000:${merchantIdOf(ns)}`;
}

/** A subscription ARN for one (merchant, endpoint) pair, stable across restarts. */
export function subscriptionArnOf(ns: string, url: string): string {
  const h = createHash('sha256').update(`${ns}\u0000${url}`).digest('hex');
  return `${topicArnOf(ns)}:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The Message JSON object of a notification. */
export function ipnMessage(n: IpnNotification, notificationId: string): IpnMessage {
  return {
    MerchantID: merchantIdOf(n.merchant),
    ObjectType: n.objectType,
    ObjectId: n.objectId,
    ChargePermissionId: n.chargePermissionId,
    NotificationType: n.notificationType,
    NotificationId: notificationId,
    NotificationVersion: 'V2',
  };
}

/** The SNS SignatureVersion 1 string to sign of a Notification: name/value lines in byte order, Subject only when present. */
export function snsStringToSign(e: Pick<SnsEnvelope, 'Message' | 'MessageId' | 'Subject' | 'Timestamp' | 'TopicArn' | 'Type'>): string {
  let s = `Message\n${e.Message}\nMessageId\n${e.MessageId}\n`;
  if (e.Subject !== undefined && e.Subject !== null) s += `Subject\n${e.Subject}\n`;
  return `${s}Timestamp\n${e.Timestamp}\nTopicArn\n${e.TopicArn}\nType\n${e.Type}\n`;
}

/** Builds (and, with a signer, signs) the envelope SNS would POST for one notification. */
export function buildEnvelope(input: EnvelopeInput): SnsEnvelope {
  const base = input.publicUrl.replace(/\/+$/, '');
  const n = input.notification;
  const unsigned = {
    Type: 'Notification' as const,
    MessageId: input.messageId,
    TopicArn: topicArnOf(n.merchant),
    ...(input.subject !== undefined ? { Subject: input.subject } : {}),
    Message: JSON.stringify(ipnMessage(n, input.notificationId)),
    Timestamp: new Date(input.timestamp).toISOString(),
    SignatureVersion: '1' as const,
  };
  const signature = input.signer ? sign('RSA-SHA1', Buffer.from(snsStringToSign(unsigned), 'utf8'), input.signer.privateKey).toString('base64') : '';
  return {
    ...unsigned,
    Signature: signature,
    SigningCertURL: input.signer ? `${base}${signingCertPath}` : '',
    UnsubscribeURL: `${base}${unsubscribePath}?merchant=${encodeURIComponent(n.merchant)}`,
  };
}

/**
 * The envelope as delivered to one endpoint: its UnsubscribeURL names that endpoint, so following
 * it removes that subscription only, as SNS's does ("UnsubscribeURL: a URL that you can use to
 * unsubscribe the endpoint from this topic", Amazon SNS message and JSON formats). The URL is not
 * part of the string to sign, so every endpoint's copy keeps the one signature.
 */
export function envelopeFor(envelope: SnsEnvelope, endpoint: string): SnsEnvelope {
  return { ...envelope, UnsubscribeURL: `${envelope.UnsubscribeURL}&url=${encodeURIComponent(endpoint)}` };
}

/** The body text SNS sends: the envelope as indented JSON, as SNS formats it. */
export function envelopeBody(e: SnsEnvelope): string {
  return JSON.stringify(e, null, 2);
}
