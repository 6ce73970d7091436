-- Custom SQL migration file, put your code below! --
INSERT INTO "ai_model" ("name", "provider") VALUES ('gpt-4o', 'openai');