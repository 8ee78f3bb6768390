const STEPS = [
  {
    title: 'Describe',
    text: 'One sentence, or a template. The Architect fills the gaps with assumptions you can change.',
  },
  {
    title: 'Plan',
    text: 'The Blueprint — data, endpoints, pages, design tokens — is yours to read and edit.',
  },
  {
    title: 'Build & verify',
    text: 'Code on a branch, tests, a staging deploy, and a browser robot that checks every page.',
  },
  {
    title: 'Publish',
    text: 'One click promotes the verified release to production; rollback is one click too.',
  },
];

/** The main loop in four steps, under the landing prompt. */
export function LandingSteps() {
  return (
    <ol
      aria-label="How it works"
      className="mx-auto mt-14 grid grid-cols-1 max-w-5xl gap-4 sm:grid-cols-2 lg:grid-cols-4"
    >
      {STEPS.map((step, i) => (
        <li key={step.title} className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
          <span className="grid size-7 place-items-center rounded-full bg-emerald-50 text-sm font-semibold text-emerald-700 ring-1 ring-emerald-200">
            {i + 1}
          </span>
          <h2 className="mt-3 text-sm font-semibold text-slate-900">{step.title}</h2>
          <p className="mt-1 text-sm text-slate-600">{step.text}</p>
        </li>
      ))}
    </ol>
  );
}
