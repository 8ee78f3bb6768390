-- Who may use a secret (docs/git-and-pipelines.md). A protected secret reaches only code on a
-- protected branch, or a run a maintainer started. Secrets that exist become protected: until now
-- any developer's branch could print them, and closing that is the point of this change; a
-- maintainer unprotects what branch pipelines and previews really need.
ALTER TABLE secrets ADD COLUMN protected boolean NOT NULL DEFAULT true;

-- The secrets a job was given and the protected ones it was denied (names only). A job given
-- secrets may have written them into its artifacts, so those need a role that may read secrets.
ALTER TABLE pipeline_jobs
  ADD COLUMN secrets_given text[] NOT NULL DEFAULT '{}',
  ADD COLUMN secrets_withheld text[] NOT NULL DEFAULT '{}';

-- Jobs from before were given every secret their pipeline file named.
UPDATE pipeline_jobs j
   SET secrets_given = ARRAY(SELECT jsonb_array_elements_text(p.spec -> 'jobs' -> j.name -> 'secrets'))
  FROM pipelines p
 WHERE p.id = j.pipeline_id
   AND jsonb_typeof(p.spec -> 'jobs' -> j.name -> 'secrets') = 'array';
