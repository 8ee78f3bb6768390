-- The Studio chat is a conversation: a Blueprint links to one (created at its first turn), every
-- user turn and Architect reply is a conversation message, and a snapshot links to the messages of
-- the turn that made it. Earlier turns kept their words in blueprint_snapshots.message/reply; they
-- move here. An edit's message (where a patch came from, e.g. a design reference) is a note of the
-- snapshot, not something someone said, and stays.

ALTER TABLE blueprints ADD COLUMN conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX blueprints_conversation_idx ON blueprints (conversation_id) WHERE conversation_id IS NOT NULL;

ALTER TABLE blueprint_snapshots
  ADD COLUMN message_id bigint REFERENCES conversation_messages(id) ON DELETE SET NULL,
  ADD COLUMN reply_id bigint REFERENCES conversation_messages(id) ON DELETE SET NULL;
-- Deleting a conversation clears these links; the indexes keep that from scanning every snapshot.
CREATE INDEX blueprint_snapshots_message_idx ON blueprint_snapshots (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX blueprint_snapshots_reply_idx ON blueprint_snapshots (reply_id) WHERE reply_id IS NOT NULL;

-- Each earlier turn, oldest first per Blueprint, so message ids follow the conversation's order.
-- A reply written during an operation was the LLM Architect's: it links to the architect call that
-- answered (the call of a turn whose answer could not be used is its last one, and the reply says
-- it failed); a reply without an operation was the rule-based Architect's.
DO $$
DECLARE
  s record;
  conv uuid;
  said bigint;
  answered bigint;
  call uuid;
  failed boolean;
BEGIN
  FOR s IN
    SELECT sn.id, sn.blueprint_id, sn.version, sn.kind, sn.message, sn.reply, sn.actor_id,
           sn.operation_id, sn.created_at, b.project_id, b.title, b.created_by
    FROM blueprint_snapshots sn JOIN blueprints b ON b.id = sn.blueprint_id
    WHERE sn.message_id IS NULL AND sn.reply_id IS NULL
      AND ((sn.message IS NOT NULL AND sn.kind NOT IN ('edit', 'status')) OR sn.reply IS NOT NULL)
    ORDER BY sn.blueprint_id, sn.version
  LOOP
    SELECT conversation_id INTO conv FROM blueprints WHERE id = s.blueprint_id;
    IF conv IS NULL THEN
      INSERT INTO conversations (project_id, owner_id, title, created_at, updated_at)
      VALUES (s.project_id, s.created_by, s.title, s.created_at, s.created_at)
      RETURNING id INTO conv;
      UPDATE blueprints SET conversation_id = conv WHERE id = s.blueprint_id;
    END IF;
    said := NULL;
    answered := NULL;
    IF s.message IS NOT NULL AND s.kind NOT IN ('edit', 'status') THEN
      INSERT INTO conversation_messages (conversation_id, role, content, data, created_by, created_at)
      VALUES (conv, 'user', s.message,
              jsonb_build_object('blueprintId', s.blueprint_id, 'version', s.version),
              s.actor_id, s.created_at)
      RETURNING id INTO said;
    END IF;
    IF s.reply IS NOT NULL THEN
      failed := s.reply LIKE 'Sorry, I could not turn that into a valid change.%';
      call := NULL;
      IF s.operation_id IS NOT NULL THEN
        SELECT c.call_id INTO call FROM llm_calls c
        WHERE c.operation_id = s.operation_id AND c.alias = 'architect'
          AND (failed OR c.outcome = 'ok')
        ORDER BY c.started_at DESC, c.id DESC LIMIT 1;
      END IF;
      INSERT INTO conversation_messages (conversation_id, role, content, data, llm_call_id, created_at)
      VALUES (conv, 'assistant', s.reply,
              jsonb_build_object('blueprintId', s.blueprint_id, 'version', s.version)
                || CASE WHEN s.operation_id IS NULL THEN '{"answeredBy": "rules"}'::jsonb ELSE '{}'::jsonb END
                || CASE WHEN failed THEN '{"failed": true}'::jsonb ELSE '{}'::jsonb END,
              call, s.created_at)
      RETURNING id INTO answered;
    END IF;
    UPDATE blueprint_snapshots
    SET message_id = said,
        reply_id = answered,
        message = CASE WHEN said IS NULL THEN message END,
        reply = NULL
    WHERE id = s.id;
    UPDATE conversations SET updated_at = GREATEST(updated_at, s.created_at) WHERE id = conv;
  END LOOP;
END $$;
