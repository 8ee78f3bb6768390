-- Principal kinds: people sign in; agents and services act only with tokens (agents' delegated by
-- a person). Service accounts are made by admins and carry a note of what they are for.
ALTER TABLE users ADD COLUMN description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500);

-- Only people hold a password: an agent or a service that had one set (before this was refused)
-- loses it, and from now on the database refuses it whatever the code does.
UPDATE users SET password_hash = NULL WHERE kind <> 'human' AND password_hash IS NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_password_people_only CHECK (kind = 'human' OR password_hash IS NULL);

-- Only people hold sessions. Authentication ignores any other anyway; none is kept, and none is made.
DELETE FROM sessions s USING users u WHERE u.id = s.user_id AND u.kind <> 'human';
CREATE FUNCTION sessions_people_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT kind FROM users WHERE id = NEW.user_id) IS DISTINCT FROM 'human' THEN
    RAISE EXCEPTION 'only people hold sessions: user % is not a person', NEW.user_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER sessions_people_only BEFORE INSERT OR UPDATE OF user_id ON sessions
  FOR EACH ROW EXECUTE FUNCTION sessions_people_only();

-- Delegations (delegated tokens): listed per person and for admins, newest first.
CREATE INDEX api_tokens_delegations_idx ON api_tokens (created_at DESC, id DESC) WHERE delegated_by IS NOT NULL;
CREATE INDEX api_tokens_delegated_by_idx ON api_tokens (delegated_by, created_at DESC, id DESC)
  WHERE delegated_by IS NOT NULL;
