-- Manual addition: HNSW index for vector similarity search
CREATE INDEX CONCURRENTLY IF NOT EXISTS "document_chunk_embedding_idx"
ON "document_chunk" USING hnsw ("embedding" halfvec_ip_ops);