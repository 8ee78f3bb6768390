-- The retention sweep finds finished operations by age without scanning the table.
CREATE INDEX operations_finished_idx ON operations (finished_at) WHERE finished_at IS NOT NULL;
