/**
 * Reads the mapping file. Every problem is collected (YAML syntax and schema alike) and reported at
 * once with the file and line, so a broken configuration is fixed in one pass instead of one error
 * per start.
 */
import { readFileSync } from 'node:fs';

import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

import { errorMessage } from '../errors';
import { MappingFile } from './schema';

export interface MappingProblem {
    /** The file the problem is in, as given to the loader. */
    source: string;
    /** Dotted path inside the document (`records.2.fields.0.rule`); empty for document-level problems. */
    path: string;
    /** 1-based; absent when the position cannot be known (for example a missing key of a value built in code). */
    line?: number;
    column?: number;
    message: string;
}

export type MappingLoadResult = { ok: true; mapping: MappingFile } | { ok: false; problems: MappingProblem[] };

export class MappingConfigError extends Error {
    constructor(readonly problems: MappingProblem[]) {
        super(formatMappingProblems(problems));
        this.name = 'MappingConfigError';
    }
}

/** One message listing every problem, one per line, `file:line:column path: message`. */
export function formatMappingProblems(problems: MappingProblem[]): string {
    const lines = problems.map((problem) => {
        const position = problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`;
        const path = problem.path === '' ? '' : ` ${problem.path}:`;
        return `  ${problem.source}${position}${path} ${problem.message}`;
    });
    return `The sync mapping has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}

/** Parses and validates mapping text. Pure: `source` only labels the problems. */
export function parseMappingText(text: string, source: string): MappingLoadResult {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const position = (offset: number) => {
        const { line, col } = lineCounter.linePos(offset);
        return { line, column: col };
    };

    const syntaxProblems = [...document.errors, ...document.warnings].map((error) => ({
        source,
        path: '',
        ...position(error.pos[0]),
        message: error.message.split('\n')[0]
    }));
    if (document.errors.length > 0) return { ok: false, problems: syntaxProblems };

    const parsed = MappingFile.safeParse(document.toJS());
    if (parsed.success) {
        return syntaxProblems.length > 0 ? { ok: false, problems: syntaxProblems } : { ok: true, mapping: parsed.data };
    }
    const schemaProblems = parsed.error.issues.map((issue) => {
        const path = issue.path.map((segment) => String(segment));
        const offset = nearestNodeOffset(document, path);
        return {
            source,
            path: path.join('.'),
            ...(offset === undefined ? {} : position(offset)),
            message: describeIssue(issue)
        };
    });
    return { ok: false, problems: [...syntaxProblems, ...schemaProblems] };
}

/** Reads the file and parses it; a missing or unreadable file is a problem like any other. */
export function loadMappingFile(filePath: string): MappingLoadResult {
    let text: string;
    try {
        text = readFileSync(filePath, 'utf8');
    } catch (error) {
        return {
            ok: false,
            problems: [{ source: filePath, path: '', message: `cannot read the file: ${errorMessage(error)}` }]
        };
    }
    return parseMappingText(text, filePath);
}

/** Like `loadMappingFile` but throws one `MappingConfigError` listing everything; for start-up. */
export function loadMappingFileOrThrow(filePath: string): MappingFile {
    const result = loadMappingFile(filePath);
    if (!result.ok) throw new MappingConfigError(result.problems);
    return result.mapping;
}

/** The start of the deepest node on the path that exists (the parent when a key is missing). */
function nearestNodeOffset(document: Document, path: string[]): number | undefined {
    for (let depth = path.length; depth >= 0; depth -= 1) {
        const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
        if (isNode(node) && node.range) return node.range[0];
    }
    return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
    if (issue.code === 'unrecognized_keys')
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        // A union error is clearer as the branch that got furthest: the one with the fewest issues.
        const closest = [...issue.errors].sort((left, right) => left.length - right.length)[0];
        const detail = closest.map((nested) => {
            const nestedPath = nested.path.length > 0 ? `${nested.path.join('.')}: ` : '';
            return `${nestedPath}${describeIssue(nested)}`;
        });
        return `does not match any allowed form (closest: ${detail.join('; ')})`;
    }
    return issue.message;
}
