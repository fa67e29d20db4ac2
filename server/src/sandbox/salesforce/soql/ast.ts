/** Abstract syntax of the SOQL subset the sandbox understands. Positions are 0-based offsets into the text. */

export type Literal =
    | { kind: 'string'; value: string }
    | { kind: 'number'; value: number }
    | { kind: 'boolean'; value: boolean }
    | { kind: 'null' }
    | { kind: 'date'; value: string }
    | { kind: 'datetime'; value: number }
    /** TODAY, LAST_N_DAYS:7 ... resolved against the sandbox clock when the query runs. */
    | { kind: 'relativeDate'; name: string; n?: number };

export interface FieldPath {
    /** As written, e.g. ['Account', 'Name']. */
    parts: string[];
    position: number;
}

export type SelectItem =
    | { kind: 'field'; path: FieldPath }
    | { kind: 'count'; field?: FieldPath; position: number; alias?: string }
    /** `(SELECT ... FROM Contacts)`: child records through a child relationship. */
    | { kind: 'subquery'; query: SelectQuery; position: number };

export type ComparisonOperator =
    '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN' | 'NOT IN' | 'INCLUDES' | 'EXCLUDES';

export type Condition =
    | { kind: 'and' | 'or'; left: Condition; right: Condition }
    | { kind: 'not'; operand: Condition }
    | {
          kind: 'compare';
          path: FieldPath;
          operator: ComparisonOperator;
          value: Literal | Literal[];
          valuePosition: number;
      };

export interface OrderItem {
    path: FieldPath;
    descending: boolean;
    nullsLast: boolean;
}

export interface SelectQuery {
    select: SelectItem[];
    from: { name: string; position: number };
    where?: Condition;
    orderBy: OrderItem[];
    limit?: number;
    offset?: number;
}
