import { getDashboard, getEvent, safetyCsvUrl, type Dashboard, type LabelCounts, type SafetyLabel } from '../api/disaster';
import { formatNumber } from '../common/format';
import { t, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { EventLinks } from './event_page';
import { labelName, textColorOn } from './labels';
import { EventHeading, OutageBanner } from './parts';
import { ProgressChart } from './progress_chart';
import './disaster.css';

/**
 * 集計 (the city's view of an event): how many people have each label, by district, how that went
 * hour by hour, districts that look like a power cut, and the list as CSV for Excel.
 */
export function DashboardPage({ id }: { id: string }) {
  useLang();
  const [event] = useResource((signal) => getEvent(id, signal), [id]);
  const [dashboard, reload] = useResource((signal) => getDashboard(id, signal), [id]);
  return (
    <Page
      title={t('disaster.dashboard.title')}
      lead={event.state === 'ok' ? <EventHeading event={event.data} back /> : null}
      actions={
        <>
          {event.state === 'ok' ? <EventLinks id={event.data.id} dashboard={false} /> : null}
          <a href={safetyCsvUrl(id)} download class="button button-secondary" data-testid="csv-link">
            {t('disaster.dashboard.csv')}
          </a>
        </>
      }
      testId="disaster-dashboard-page"
    >
      <ResourceView resource={dashboard} onRetry={reload}>
        {(data) => <DashboardView dashboard={data} onReload={reload} />}
      </ResourceView>
    </Page>
  );
}

function DashboardView({ dashboard, onReload }: { dashboard: Dashboard; onReload: () => void }) {
  const lang = useLang();
  const { labels } = dashboard;
  const n = (v: number) => formatNumber(v, lang, 0);
  return (
    <>
      <OutageBanner outages={dashboard.outages} />
      <section aria-labelledby="dz-totals-title" class="dz-totals-section">
        <div class="dz-section-head">
          <h2 id="dz-totals-title" class="section-title">
            {t('disaster.dashboard.totals')}
          </h2>
          <button type="button" class="button button-quiet button-small" onClick={onReload} data-testid="dashboard-reload">
            {t('disaster.map.reload')}
          </button>
        </div>
        <dl class="dz-totals" data-testid="dashboard-totals" data-total={dashboard.total}>
          <div class="dz-total dz-total-all" data-testid="total-all" data-value={dashboard.total}>
            <dt>{t('disaster.dashboard.total')}</dt>
            <dd>{t('disaster.dashboard.people', { n: n(dashboard.total) })}</dd>
          </div>
          {labels.map((label) => {
            const value = dashboard.counts[label.key] ?? 0;
            return (
              <div
                key={label.key}
                class="dz-total"
                style={{ background: label.color, color: textColorOn(label.color) }}
                data-testid="total-label"
                data-label={label.key}
                data-value={value}
              >
                <dt>{labelName(label, lang)}</dt>
                <dd>
                  {t('disaster.dashboard.people', { n: n(value) })}
                  {dashboard.total > 0 ? <span class="dz-total-share">{`${formatNumber((value / dashboard.total) * 100, lang, 0)}%`}</span> : null}
                </dd>
              </div>
            );
          })}
        </dl>
      </section>

      <section class="card" aria-labelledby="dz-progress-title">
        <h2 id="dz-progress-title" class="section-title">
          {t('disaster.dashboard.progress')}
        </h2>
        <ProgressChart dashboard={dashboard} />
      </section>

      <section aria-labelledby="dz-districts-title">
        <h2 id="dz-districts-title" class="section-title">
          {t('disaster.dashboard.districts')}
        </h2>
        <DistrictTable labels={labels} districts={dashboard.districts} total={{ total: dashboard.total, counts: dashboard.counts }} />
      </section>
    </>
  );
}

function DistrictTable({
  labels,
  districts,
  total,
}: {
  labels: SafetyLabel[];
  districts: Dashboard['districts'];
  total: { total: number; counts: LabelCounts };
}) {
  const lang = useLang();
  if (districts.length === 0) return <p class="empty">{t('disaster.dashboard.no_districts')}</p>;
  return (
    <div class="table-scroll">
      <table class="data-table dz-district-table" data-testid="district-table">
        <thead>
          <tr>
            <th scope="col">{t('disaster.filter.district')}</th>
            {labels.map((label) => (
              <th key={label.key} scope="col">
                <span class="dz-dot" style={{ background: label.color }} aria-hidden="true" />
                {labelName(label, lang)}
              </th>
            ))}
            <th scope="col">{t('disaster.dashboard.total')}</th>
          </tr>
        </thead>
        <tbody>
          {districts.map((row) => (
            <tr key={row.district} data-testid="district-row" data-district={row.district} data-total={row.total}>
              <th scope="row" class="dz-district-name">
                {row.district}
              </th>
              <CountCells labels={labels} row={row} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('disaster.dashboard.total')}</th>
            <CountCells labels={labels} row={total} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** One count per label, then the row's total. */
function CountCells({ labels, row }: { labels: SafetyLabel[]; row: { total: number; counts: LabelCounts } }) {
  const lang = useLang();
  return (
    <>
      {labels.map((label) => (
        <td key={label.key} data-label={label.key} class="dz-num">
          {formatNumber(row.counts[label.key] ?? 0, lang, 0)}
        </td>
      ))}
      <td class="dz-num">
        {formatNumber(row.total, lang, 0)}
      </td>
    </>
  );
}
