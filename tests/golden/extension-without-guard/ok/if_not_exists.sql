-- Manual addition: enable pgvector extension
CREATE EXTENSION IF NOT EXISTS vector;--> statement-breakpoint
-- Manual addition: HNSW index for vector similarity search
CREATE INDEX IF NOT EXISTS "document_chunk_embedding_idx"
ON "document_chunk" USING hnsw ("embedding" halfvec_ip_ops);