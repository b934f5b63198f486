import type { ComponentChildren } from 'preact';

interface Props<T> {
  items: readonly T[];
  /** Prefix of the test ids: <testId>-count, <testId>-list and <testId>-empty. */
  testId: string;
  /** The line above the table, e.g. "12 found". */
  count: string;
  /** Read out when it changes (role="status"); off where the page announces its own changes. */
  announceCount?: boolean;
  /** Shown instead of the table when there are no items. */
  empty?: string;
  /** Column headings, left to right. */
  columns: string[];
  /** Class of the table besides "data-table stack-table". */
  class?: string;
  /** For a wide table: the name of the focusable region it scrolls sideways in. */
  scrollLabel?: string;
  /** The table row of one item. */
  children: (item: T) => ComponentChildren;
}

/** A result count and a table with one row per item; on phones each row becomes a card (stack-table). */
export function ResultTable<T>({
  items,
  testId,
  count,
  announceCount = true,
  empty,
  columns,
  class: className,
  scrollLabel,
  children,
}: Props<T>) {
  if (empty !== undefined && items.length === 0) {
    return (
      <p class="empty" data-testid={`${testId}-empty`}>
        {empty}
      </p>
    );
  }
  const table = (
    <table class={className ? `data-table stack-table ${className}` : 'data-table stack-table'} data-testid={`${testId}-list`}>
      <thead>
        <tr>
          {columns.map((heading) => (
            <th key={heading} scope="col">
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{items.map(children)}</tbody>
    </table>
  );
  return (
    <>
      <p class="result-count" role={announceCount ? 'status' : undefined} data-testid={`${testId}-count`}>
        {count}
      </p>
      {scrollLabel ? (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={scrollLabel}>
          {table}
        </div>
      ) : (
        table
      )}
    </>
  );
}
