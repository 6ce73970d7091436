import { defineConfig } from 'drizzle-kit';
// schema: './not/this',
export default defineConfig({
  schema: ['./src/a.ts', "./src/b/*.ts"],
  out: `./drizzle`,
  dialect: 'postgresql',
  dbCredentials: { url: `postgres://${host}/db` },
  migrations: { prefix: 'timestamp', table: 'my_migrations', schema: 'public' },
});
