/** The artifact store: files under `<home>/blobs` by default, an interface other stores (S3) can implement. */
export { assertBlobKey, type BlobInfo, type BlobStore } from './blob-store.ts';
export { FsBlobStore } from './fs-blob-store.ts';
