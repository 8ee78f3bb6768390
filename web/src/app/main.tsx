import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppErrorBoundary } from '../features/errors/app-error-boundary.tsx';
import { installBrowserErrorReporter } from '../features/errors/browser-error-reporter.ts';
import { App } from './app.tsx';
import { createQueryClient } from './query-client.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks <div id="root">');

// Errors of this UI reach the admins' Errors tab (signed-in sessions only).
installBrowserErrorReporter();

createRoot(root).render(
  <StrictMode>
    <AppErrorBoundary>
      <QueryClientProvider client={createQueryClient()}>
        <App />
      </QueryClientProvider>
    </AppErrorBoundary>
  </StrictMode>,
);
