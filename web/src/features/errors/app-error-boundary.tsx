import { Component, type ErrorInfo, type ReactNode } from 'react';
import { reportBrowserError } from './browser-error-reporter.ts';

/**
 * The last catch of a rendering error anywhere in the UI: it is reported (with React's component
 * stack) and the page says so, instead of going blank.
 */
export class AppErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    reportBrowserError(error, 'react', { componentStack: info.componentStack ?? undefined });
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div
        role="alert"
        className="mx-auto mt-16 max-w-lg rounded-lg border border-red-200 bg-red-50 p-6 text-sm text-red-800"
      >
        <h1 className="text-base font-semibold">This page stopped working</h1>
        <p className="mt-2">
          The error has been reported to the instance's admins. Reload the page to try again.
        </p>
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="mt-4 rounded-md bg-red-600 px-3 py-1.5 font-medium text-white hover:bg-red-700"
        >
          Reload
        </button>
      </div>
    );
  }
}
