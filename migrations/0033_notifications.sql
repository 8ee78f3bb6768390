-- Notifications: one row per recipient and event (in-app and email), each person's choices per
-- kind and channel, the admin's SMTP settings, and the last outcome of what can be "fixed".

CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL,
  project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
  -- Who caused it (a person, an agent, or Orchard itself): not a reference, nothing to cascade.
  actor_id uuid,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  link text,
  -- What makes the event one: the same key for the same recipient is never stored (nor sent) twice.
  dedupe_key text NOT NULL,
  in_app boolean NOT NULL,
  read_at timestamptz,
  email_status text NOT NULL DEFAULT 'none' CHECK (email_status IN ('none', 'pending', 'sent', 'failed')),
  -- No foreign key: old operations are pruned, the notification stays.
  email_operation_id uuid,
  email_sent_at timestamptz,
  email_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (recipient_id, dedupe_key)
);
CREATE INDEX notifications_inbox ON notifications (recipient_id, created_at DESC, id DESC) WHERE in_app;
CREATE INDEX notifications_unread ON notifications (recipient_id) WHERE in_app AND read_at IS NULL;

CREATE TABLE notification_preferences (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL,
  in_app boolean NOT NULL,
  email boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, kind)
);

-- The admin's SMTP settings (one row); without it, the config file's are used.
CREATE TABLE smtp_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  host text NOT NULL,
  port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  secure boolean NOT NULL,
  username text,
  password_ciphertext bytea,
  password_iv bytea,
  password_auth_tag bytea,
  password_key_id text,
  from_address text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users(id) ON DELETE SET NULL
);

-- Whether a subject (a branch's pipeline, a Blueprint's build) last failed: a success after a
-- failure is "fixed".
CREATE TABLE notification_streaks (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  subject text NOT NULL,
  failing boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, subject)
);
