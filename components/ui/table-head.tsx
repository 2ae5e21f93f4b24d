import { cn } from './cn';

export interface Column {
  label: string;
  /** Right-aligns numbers so digits line up. */
  numeric?: boolean;
  /** For action columns: the label is for screen readers only. */
  labelHidden?: boolean;
}

const CELL_PADDING = {
  roomy: 'px-4 py-2',
  compact: 'px-3 py-2',
  inline: 'py-1 pr-4',
} as const;

/**
 * The header row every back-office table shares, so column headers keep one look and
 * always carry `scope="col"` for screen readers.
 */
export function TableHead({
  columns,
  spacing = 'roomy',
}: {
  columns: readonly Column[];
  spacing?: keyof typeof CELL_PADDING;
}) {
  return (
    <thead
      className={cn(
        'text-left text-xs uppercase tracking-wide text-slate-500',
        spacing !== 'inline' && 'bg-slate-50',
      )}
    >
      <tr>
        {columns.map((column) => (
          <th
            key={column.label}
            scope="col"
            className={cn(CELL_PADDING[spacing], column.numeric && 'text-right')}
          >
            {column.labelHidden ? <span className="sr-only">{column.label}</span> : column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
