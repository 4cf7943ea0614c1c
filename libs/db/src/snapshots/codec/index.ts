export * from './snapshot-content';
export * from './snapshot-codec';
export { KeyDictionary } from './key-dictionary';
export { CodecError } from './byte-io';
export type { FlatFrame } from './flat';
export { decodeFrame } from './frame';
export { unflattenSections, NOT_DECODED, type SectionSelection } from './unflatten-sections';
