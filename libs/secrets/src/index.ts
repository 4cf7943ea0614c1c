export { SecretBox, UnknownSecretKeyError, SecretDecryptionError } from './secret-box';
export type { SealedSecret, SecretBoxKey } from './secret-box';
