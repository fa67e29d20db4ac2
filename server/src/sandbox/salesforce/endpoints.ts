/** Endpoint names for the request counter: method plus the route with IDs and names abstracted. */
export function classify(method: string, path: string): string | undefined {
    if (path.startsWith('/services/oauth2/')) return `${method} ${path}`;
    if (path.startsWith('/cometd/')) return `${method} /cometd`;
    if (path.startsWith('/services/Soap/')) return `${method} /soap`;
    const match = /^\/services\/data\/v\d+\.\d(\/.*)?$/.exec(path);
    if (!match) return path.startsWith('/id/') ? `${method} /id` : `${method} ${path}`;
    const segments = (match[1] ?? '').split('/').filter((s) => s !== '');
    const [head, second, third, fourth] = segments;
    switch (head) {
        case undefined:
            return `${method} /`;
        case 'sobjects':
            if (segments.length <= 1) return `${method} /sobjects`;
            if (segments.length === 2) return `${method} /sobjects/${second}`;
            if (segments.length === 3 && (third === 'describe' || third === 'updated' || third === 'deleted')) {
                return `${method} /sobjects/${second}/${third}`;
            }
            return segments.length === 3
                ? `${method} /sobjects/${second}/{id}`
                : `${method} /sobjects/${second}/{field}/{value}`;
        case 'query':
        case 'queryAll':
            return segments.length > 1 ? `${method} /${head}/{locator}` : `${method} /${head}`;
        case 'composite':
            if (second !== 'sobjects') return `${method} /composite`;
            return third
                ? `${method} /composite/sobjects/${third}${fourth ? '/{field}' : ''}`
                : `${method} /composite/sobjects`;
        case 'jobs':
            return `${method} /jobs/${second ?? ''}${third ? '/{id}' : ''}${fourth ? `/${fourth}` : ''}`;
        default:
            return `${method} /${head}`;
    }
}
