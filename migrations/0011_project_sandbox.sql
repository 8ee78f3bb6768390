-- Each project's jobs and apps run as a user of their own (sandbox.uidBase + sandbox_uid) when
-- Orchard is root, and share the host's network only where an instance admin allowed it.
CREATE SEQUENCE project_sandbox_uid_seq AS integer START 1;
ALTER TABLE projects
  ADD COLUMN sandbox_uid integer NOT NULL DEFAULT nextval('project_sandbox_uid_seq') UNIQUE,
  ADD COLUMN host_network boolean NOT NULL DEFAULT false;
ALTER SEQUENCE project_sandbox_uid_seq OWNED BY projects.sandbox_uid;
