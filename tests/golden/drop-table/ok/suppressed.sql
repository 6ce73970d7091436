-- migguard-ignore drop-table replaced by research_output (TRO-71)
DROP TABLE IF EXISTS "research_feedback" CASCADE;