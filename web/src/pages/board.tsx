import { useState } from 'react';
import type { BoardCard, BoardFilters, FeaturePhase } from '../api/board-types.ts';
import { ApiError } from '../api/client.ts';
import type { Project } from '../api/project-types.ts';
import type { PageProps } from '../app/page-props.ts';
import { useLocation } from '../app/router.tsx';
import { BoardColumns } from '../features/board/board-columns.tsx';
import { BoardFilterBar } from '../features/board/board-filters.tsx';
import { PHASE_LABELS } from '../features/board/board-labels.ts';
import { useBoard, useBoardStats, useLiveBoard, useMoveFeature } from '../features/board/board-queries.ts';
import { BoardStatsPanel } from '../features/board/board-stats.tsx';
import { DependencyGraph } from '../features/board/dependency-graph.tsx';
import { FeatureDetails } from '../features/board/feature-details.tsx';
import { StreamIndicator } from '../features/operations/live-status.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { roleAtLeast } from '../features/projects/roles.ts';
import { Alert, ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/** `/projects/:slug/board?assignee=&assigneeKind=&kind=`: every feature of the project by SDLC phase. */
export function BoardPage({ params }: PageProps) {
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="board">
      {(project) => <BoardBody project={project} />}
    </ProjectFrame>
  );
}

function filtersOf(search: URLSearchParams): BoardFilters {
  const kind = search.get('kind');
  const assigneeKind = search.get('assigneeKind');
  return {
    ...(search.get('assignee') ? { assignee: search.get('assignee')! } : {}),
    ...(assigneeKind === 'human' || assigneeKind === 'agent' ? { assigneeKind } : {}),
    ...(kind === 'feature' || kind === 'change' || kind === 'bugfix' || kind === 'chore' ? { kind } : {}),
  };
}

function BoardBody({ project }: { project: Project }) {
  const slug = project.slug;
  const filters = filtersOf(useLocation().search);
  const board = useBoard(slug, filters);
  const stats = useBoardStats(slug, filters);
  const live = useLiveBoard(slug);
  const move = useMoveFeature(slug);
  const [selected, setSelected] = useState<string | null>(null);
  const canEdit = roleAtLeast(project.role, 'developer') && !project.archived;

  const onMove = (card: BoardCard, to: FeaturePhase) => move.mutate({ id: card.id, title: card.title, to });
  const refused = move.error && move.variables;
  const cards = board.data?.cards ?? [];
  const chosen = cards.find((c) => c.id === selected);

  return (
    <>
      <PageHeader
        title="Feature board"
        documentTitle={`Board · ${project.name}`}
        description="Every feature of the project by SDLC phase. Builds move their cards as they go; move a card by hand by dragging it to a column or with its Move menu — the state machine decides what is allowed."
        meta={<StreamIndicator state={live.stream} />}
        actions={
          board.data && <BoardFilterBar slug={slug} filters={filters} assignees={board.data.assignees} />
        }
      />
      {refused && (
        <div className="mb-4" data-testid="move-refused">
          <Alert
            tone="error"
            title={`“${move.variables.title}” was not moved to ${PHASE_LABELS[move.variables.to]}`}
          >
            {move.error instanceof ApiError ? move.error.detail : move.error.message}
          </Alert>
        </div>
      )}
      {board.isPending ? (
        <Loading label="Loading the board…" />
      ) : board.isError ? (
        <ErrorAlert error={board.error} />
      ) : (
        <div className="space-y-6">
          {cards.length === 0 && (
            <Alert tone="info">
              {Object.keys(filters).length
                ? 'No feature matches these filters.'
                : 'No features yet. Build a Blueprint, or send a change request: each build is a feature here.'}
            </Alert>
          )}
          {board.data.truncated && <Alert tone="warning">Only the newest features are shown.</Alert>}
          <BoardColumns
            slug={slug}
            columns={board.data.columns}
            cards={cards}
            canMove={canEdit}
            selected={selected}
            onMove={onMove}
            onSelect={(c) => setSelected((s) => (s === c.id ? null : c.id))}
          />
          {chosen && (
            <FeatureDetails
              slug={slug}
              card={chosen}
              cards={cards}
              assignees={board.data.assignees}
              canEdit={canEdit}
            />
          )}
          <Card title="Dependencies" description="Which features wait for which.">
            <DependencyGraph cards={cards} />
          </Card>
          {stats.data && <BoardStatsPanel stats={stats.data} />}
        </div>
      )}
    </>
  );
}
