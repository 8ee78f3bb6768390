-- The Blueprint version a build (feature) built, so the Studio can say how many changes are not
-- built yet. Null for builds that have not rendered their spec (and for builds before this).
ALTER TABLE features ADD COLUMN blueprint_version integer;
