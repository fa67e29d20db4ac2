/// <reference lib="dom" />
/** Shared page furniture: loading, empty and error states, live announcements, selection, paging. */
import { ApiError } from './api';
import { type Child, h, replaceChildren } from './dom';

export const loading = (what: string): HTMLElement => h('p', { class: 'state', role: 'status' }, `Loading ${what}…`);

export const empty = (message: string): HTMLElement => h('p', { class: 'state empty' }, message);

export function describeError(error: unknown): string {
    if (error instanceof ApiError) return `${error.message} (${error.code}, HTTP ${error.status})`;
    return error instanceof Error ? error.message : String(error);
}

export function failure(what: string, error: unknown, retry?: () => void): HTMLElement {
    return h(
        'div',
        { class: 'state error', role: 'alert' },
        h('p', {}, `Could not load ${what}: ${describeError(error)}`),
        retry ? h('button', { type: 'button', onClick: retry }, 'Try again') : null
    );
}

/**
 * Shows a loading state in `target`, then what `render` builds from the loaded data, or an error state
 * with a retry button.
 */
export async function load<T>(
    target: HTMLElement,
    what: string,
    fetcher: () => Promise<T>,
    render: (data: T) => Child | Child[]
): Promise<void> {
    target.setAttribute('aria-busy', 'true');
    replaceChildren(target, loading(what));
    try {
        const data = await fetcher();
        const content = render(data);
        replaceChildren(target, ...(Array.isArray(content) ? content : [content]));
    } catch (error) {
        replaceChildren(
            target,
            failure(what, error, () => void load(target, what, fetcher, render))
        );
    } finally {
        target.removeAttribute('aria-busy');
    }
}

/** A polite live region for the results of actions (run started, records queued). */
export function liveRegion(): HTMLElement & { say(message: string, tone?: 'ok' | 'error'): void } {
    const region = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
    return Object.assign(region, {
        say(message: string, tone: 'ok' | 'error' = 'ok') {
            region.className = `notice ${tone}`;
            region.textContent = message;
        }
    });
}

/** Runs an action from a button: disables it while in flight and reports the outcome in `region`. */
export async function act(
    button: HTMLButtonElement,
    region: ReturnType<typeof liveRegion>,
    action: () => Promise<string>
): Promise<void> {
    button.disabled = true;
    try {
        region.say(await action(), 'ok');
    } catch (error) {
        region.say(describeError(error), 'error');
    } finally {
        button.disabled = false;
    }
}

/** Checkboxes of a table with a "select all" box and a listener for the selection. */
export class Selection<T> {
    private readonly boxes: { box: HTMLInputElement; item: T }[] = [];
    readonly all: HTMLInputElement;

    constructor(
        label: string,
        private readonly onChange: (selected: T[]) => void
    ) {
        this.all = h('input', { type: 'checkbox', 'aria-label': label, onChange: () => this.toggleAll() });
    }

    box(item: T, label: string, enabled = true): HTMLInputElement {
        const box = h('input', {
            type: 'checkbox',
            'aria-label': label,
            disabled: !enabled,
            onChange: () => this.changed()
        });
        if (enabled) this.boxes.push({ box, item });
        return box;
    }

    selected(): T[] {
        return this.boxes.filter(({ box }) => box.checked).map(({ item }) => item);
    }

    private toggleAll(): void {
        for (const { box } of this.boxes) box.checked = this.all.checked;
        this.changed();
    }

    private changed(): void {
        const count = this.selected().length;
        this.all.checked = count > 0 && count === this.boxes.length;
        this.all.indeterminate = count > 0 && count < this.boxes.length;
        this.onChange(this.selected());
    }
}

export function pager(
    page: { total: number; offset: number; limit: number },
    go: (offset: number) => void
): HTMLElement | null {
    if (page.total <= page.limit) return null;
    const last = Math.min(page.offset + page.limit, page.total);
    return h(
        'nav',
        { class: 'pager', 'aria-label': 'Pages' },
        h(
            'button',
            { type: 'button', disabled: page.offset === 0, onClick: () => go(Math.max(0, page.offset - page.limit)) },
            'Previous'
        ),
        h('span', {}, `${page.offset + 1}–${last} of ${page.total}`),
        h(
            'button',
            { type: 'button', disabled: last >= page.total, onClick: () => go(page.offset + page.limit) },
            'Next'
        )
    );
}

const STATUS_CHANGED = 'dashboard:status-changed';

/** Tells the shell that an action changed what the status line and navigation counts show. */
export function announceStatusChanged(): void {
    window.dispatchEvent(new Event(STATUS_CHANGED));
}

export function onStatusChanged(listener: () => void): void {
    window.addEventListener(STATUS_CHANGED, listener);
}

export const badge = (text: string, tone: string): HTMLElement => h('span', { class: `badge ${tone}` }, text);
