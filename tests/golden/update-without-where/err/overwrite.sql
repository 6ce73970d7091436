-- Manual addition: everyone is a member now
UPDATE "user" SET "role" = 'member';
