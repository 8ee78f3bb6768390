import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/** One credential a soft authenticator holds: an ES256 key pair bound to an RP id and a user handle. */
export interface SoftCredential {
  id: Buffer;
  rpId: string;
  userHandle: Buffer;
  privateKey: KeyObject;
  /** The next signature counter this credential reports (`counter: 'zero'` keeps it 0). */
  counter: number;
}

/** What a test may change in one answer: a forged origin, RP id or challenge, no user verification … */
export interface Tamper {
  origin?: string;
  rpId?: string;
  challenge?: string;
  userVerified?: boolean;
  /** Report this counter instead of the credential's next one. */
  counter?: number;
  userHandle?: Buffer;
  /** Register under this credential id (one already registered: a replayed registration). */
  credentialId?: Buffer;
}

const b64u = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

/**
 * A CTAP2-like platform authenticator in node:crypto: it answers registration and sign-in options
 * exactly as a browser would send them (`none` attestation, ES256, discoverable credentials), so
 * the server's ceremony checks run on real signatures.
 */
export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(
    readonly origin: string,
    private readonly options: { counter?: 'increments' | 'zero'; synced?: boolean } = {},
  ) {}

  register(options: PublicKeyCredentialCreationOptionsJSON, tamper: Tamper = {}): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credential: SoftCredential = {
      id: tamper.credentialId ?? randomBytes(16),
      rpId: tamper.rpId ?? options.rp.id ?? new URL(this.origin).hostname,
      userHandle: Buffer.from(options.user.id, 'base64url'),
      privateKey,
      counter: 0,
    };
    const coseKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      this.authData(credential, tamper, FLAG_AT),
      Buffer.alloc(16), // aaguid: none
      idLength,
      credential.id,
      Buffer.from(coseKey),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    this.credentials.push(credential);
    return {
      id: b64u(credential.id),
      rawId: b64u(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, tamper),
        attestationObject: b64u(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  /** Answers sign-in options with `credential` (default: the last one registered for the RP id). */
  signIn(
    options: PublicKeyCredentialRequestOptionsJSON,
    tamper: Tamper = {},
    credential = this.credentials.findLast((c) => c.rpId === (options.rpId ?? '')),
  ): AuthenticationResponseJSON {
    if (!credential) throw new Error(`no credential for ${options.rpId}`);
    const authData = this.authData(credential, tamper, 0);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, tamper);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]),
      credential.privateKey,
    );
    return {
      id: b64u(credential.id),
      rawId: b64u(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: b64u(tamper.userHandle ?? credential.userHandle),
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  private authData(credential: SoftCredential, tamper: Tamper, extraFlags: number): Buffer {
    const synced = this.options.synced ? FLAG_BE | FLAG_BS : 0;
    const flags = FLAG_UP | (tamper.userVerified === false ? 0 : FLAG_UV) | synced | extraFlags;
    if (this.options.counter !== 'zero' && tamper.counter === undefined) credential.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(tamper.counter ?? (this.options.counter === 'zero' ? 0 : credential.counter));
    return Buffer.concat([sha256(tamper.rpId ?? credential.rpId), Buffer.from([flags]), counter]);
  }

  private clientData(type: string, challenge: string, tamper: Tamper): string {
    return b64u(
      JSON.stringify({
        type,
        challenge: tamper.challenge ?? challenge,
        origin: tamper.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }
}
