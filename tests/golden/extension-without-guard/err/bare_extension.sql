-- Manual addition: enable pgvector extension
CREATE EXTENSION vector;