-- orchard_event() from 0002 was superseded by the inline inserts in orchard_complete_steps and
-- orchard_claim_steps before anything called it.
DROP FUNCTION IF EXISTS orchard_event(uuid, uuid, text, text, jsonb, timestamptz);
