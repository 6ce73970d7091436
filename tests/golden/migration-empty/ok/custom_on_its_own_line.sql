-- Custom SQL migration file, put your code below! --
-- Manual addition: seed the model registry
INSERT INTO "ai_model" ("name", "provider") VALUES ('gpt-4o', 'openai');
