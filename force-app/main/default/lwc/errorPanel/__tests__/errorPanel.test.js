import { createElement } from '@lwc/engine-dom';
import ErrorPanel from 'c/errorPanel';

function buildPanel(props) {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

function flushPromises() {
    return Promise.resolve();
}

describe('c-error-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows the friendly message as an alert, with the details hidden until asked for', async () => {
        const element = buildPanel({
            friendlyMessage: 'HubSpot data could not be loaded.',
            errors: [{ body: { message: 'Relay answered 503' } }, new Error('Timed out')]
        });
        await flushPromises();

        const alert = element.shadowRoot.querySelector('[role="alert"]');
        expect(alert.textContent).toContain('HubSpot data could not be loaded.');
        expect(element.shadowRoot.querySelector('[data-id="error-details"]')).toBeNull();

        const toggle = element.shadowRoot.querySelector('lightning-input');
        toggle.checked = true;
        toggle.dispatchEvent(new CustomEvent('change'));
        await flushPromises();

        const details = element.shadowRoot.querySelectorAll('[data-id="error-details"] li');
        expect(Array.from(details, (item) => item.textContent)).toEqual(['Relay answered 503', 'Timed out']);
        await expect(element).toBeAccessible();
    });

    it('offers no details toggle without technical errors, and uses a warning icon inline', async () => {
        const element = buildPanel({ friendlyMessage: 'Website analytics timed out.', variant: 'inline' });
        await flushPromises();

        expect(element.shadowRoot.querySelector('lightning-input')).toBeNull();
        const icon = element.shadowRoot.querySelector('lightning-icon');
        expect(icon.iconName).toBe('utility:warning');
        expect(icon.variant).toBe('warning');
        await expect(element).toBeAccessible();
    });
});
