import { useUser } from '../app/session.ts';
import { ADMIN_TABS, type AdminTab } from '../features/admin/admin-tabs.ts';
import { Alert } from '../widgets/alert.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { TabList, tabPanelProps, useUrlTabs } from '../widgets/tabs.tsx';

const KEYS = ADMIN_TABS.map((t) => t.key) as [AdminTab, ...AdminTab[]];

/** `/admin?tab=`: the instance admins' panel — users, tokens, the audit log, LLM, the instance. */
export function AdminPage() {
  const user = useUser();
  const tabs = useUrlTabs(KEYS);
  if (user.role !== 'admin')
    return (
      <>
        <PageHeader title="Admin" />
        <Alert tone="warning" title="Admins only">
          This page is for instance admins. Ask an admin if you need an account changed, a token revoked or
          something looked up in the audit log.
        </Alert>
      </>
    );
  return (
    <>
      <PageHeader
        title="Admin"
        description="People, tokens, the audit log, models and the instance's settings."
      />
      <TabList label="Admin sections" tabs={tabs} items={ADMIN_TABS} className="mb-6 overflow-x-auto" />
      {ADMIN_TABS.map(({ key, Panel }) => (
        <div key={key} {...tabPanelProps(tabs, key)}>
          {tabs.selected === key && <Panel />}
        </div>
      ))}
    </>
  );
}
