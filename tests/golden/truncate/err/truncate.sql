-- Manual addition: reset the cache
TRUNCATE TABLE "cache", "public"."session";
