-- Reviews of a merge request: an approval, a request for changes, or a comment, each on the head
-- commit it was given on (`sha`). A reviewer's latest approval or request for changes that is not
-- withdrawn is their verdict; earlier ones stay for the timeline.
CREATE TABLE merge_request_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  merge_request_id uuid NOT NULL REFERENCES merge_requests(id) ON DELETE CASCADE,
  reviewer_id uuid REFERENCES users(id) ON DELETE SET NULL,
  state text NOT NULL CHECK (state IN ('approve', 'request_changes', 'comment')),
  body text NOT NULL DEFAULT '',
  sha text NOT NULL,
  -- clock_timestamp: two reviews in one transaction still have an order ("the latest counts").
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  withdrawn_at timestamptz
);
CREATE INDEX merge_request_reviews_mr_idx ON merge_request_reviews (merge_request_id, created_at);

-- A protected branch may also require approvals; with dismiss_stale_approvals, only approvals given
-- on the commit being merged count (a push to the merge request makes earlier ones stale).
ALTER TABLE branch_protections
  ADD COLUMN required_approvals integer NOT NULL DEFAULT 0 CHECK (required_approvals BETWEEN 0 AND 10),
  ADD COLUMN dismiss_stale_approvals boolean NOT NULL DEFAULT true;
