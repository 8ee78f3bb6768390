-- Production follows main: a project's first build merges to main by itself unless the project
-- asks that builds wait for a review first.
ALTER TABLE projects ADD COLUMN review_first boolean NOT NULL DEFAULT false;
