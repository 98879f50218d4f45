import { useEffect, useState } from 'react';
import { useCatalog } from '../api/catalog';
import { api, must, type Schemas, type Session } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { inboxOrder } from '../inbox';
import { hrefOf } from '../router';
import { formatTime, Problem } from './common';

type Task = Schemas['TaskViewDto'];

/** The open human tasks of catalog flows: by default the signed-in person's, overdue first. */
export function TasksPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const [mineOnly, setMineOnly] = useState(true);
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const { serviceName } = useCatalog(setProblem);

  useEffect(() => {
    let stopped = false;
    const load = () =>
      must(api.GET('/v1/tasks', { params: { query: { status: 'open', limit: 100, ...(mineOnly ? { assignee: session.name } : {}) } } })).then(
        (page) => !stopped && (setTasks([...page.items].sort(inboxOrder)), setProblem(null)),
        (err: unknown) => !stopped && setProblem(err),
      );
    void load();
    const timer = window.setInterval(() => void load(), 10_000);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [mineOnly, session.name]);

  return (
    <section>
      <h1>{t('tasks')}</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('tasks')}>
        <label className="inline">
          <input type="checkbox" checked={mineOnly} onChange={(e) => setMineOnly(e.target.checked)} />
          {t('mineOnly')}
        </label>
      </form>
      <Problem problem={problem} />
      {tasks === null ? (
        <p>{t('loading')}</p>
      ) : tasks.length === 0 ? (
        <p>{t('noTasks')}</p>
      ) : (
        <table className="deliveries">
          <thead>
            <tr>
              <th scope="col">{t('task')}</th>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('assignee')}</th>
              <th scope="col">{t('due')}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.id} data-task={task.id} className={task.overdue ? 'overdue' : undefined}>
                <td>
                  <a href={hrefOf({ page: 'delivery', id: task.deliveryId })}>{language === 'zh' ? task.nameZh : task.nameEn}</a>
                  {task.overdue && <span className="badge warn">{t('overdue')}</span>}
                </td>
                <td>{serviceName(task.serviceType)}</td>
                <td>{task.customerId}</td>
                <td>{task.assignee}</td>
                <td>{task.dueAt ? formatTime(task.dueAt, language) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
