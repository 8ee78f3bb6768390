import { DEFAULT_QUEUE, type StepDefinition, type WorkflowDefinition } from './define.ts';

/** The workflow kinds and step handlers this process knows; each module adds its own from jobs.ts. */
export class Registry {
  private readonly workflows = new Map<string, WorkflowDefinition>();
  private readonly steps = new Map<string, StepDefinition>();

  add(...defs: Array<WorkflowDefinition | StepDefinition>): void {
    for (const def of defs) {
      if (def.type === 'workflow') {
        if (this.workflows.has(def.kind)) throw new Error(`Workflow "${def.kind}" is registered twice`);
        this.workflows.set(def.kind, def);
      } else {
        if (this.steps.has(def.name)) throw new Error(`Step "${def.name}" is registered twice`);
        this.steps.set(def.name, def);
      }
    }
  }

  workflow(kind: string): WorkflowDefinition | undefined {
    return this.workflows.get(kind);
  }

  step(name: string): StepDefinition | undefined {
    return this.steps.get(name);
  }

  kinds(): string[] {
    return [...this.workflows.keys()].sort();
  }

  /** The kinds whose succeeded runs are pruned within the hour (WorkflowOptions.routine). */
  routineKinds(): string[] {
    return this.kinds().filter((k) => this.workflows.get(k)?.options.routine);
  }

  /** Every queue a registered step uses, plus `default`. */
  queues(): string[] {
    return [...new Set([DEFAULT_QUEUE, ...[...this.steps.values()].map((s) => s.queue)])].sort();
  }
}
