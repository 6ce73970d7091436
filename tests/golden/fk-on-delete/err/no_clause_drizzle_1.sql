CREATE TABLE "post" (
	"id" uuid PRIMARY KEY,
	"author_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "post" ADD CONSTRAINT "post_author_id_user_id_fkey" FOREIGN KEY ("author_id") REFERENCES "user"("id");
