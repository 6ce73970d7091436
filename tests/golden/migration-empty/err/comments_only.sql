-- nothing to do after all
--> statement-breakpoint
/* still nothing */
