-- Manual addition: document the marker
COMMENT ON TABLE "user" IS 'split at --> statement-breakpoint here';