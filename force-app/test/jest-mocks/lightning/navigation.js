// Observable stand-in for lightning/navigation: tests read what the component asked to navigate to.
export const CurrentPageReference = jest.fn();
let lastPageReference;
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
    class extends Base {
        [Navigate](pageReference, replace) {
            lastPageReference = { pageReference, replace };
        }
        [GenerateUrl](pageReference) {
            return Promise.resolve(`https://example.test/${pageReference.type}`);
        }
    };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

export const getNavigateCalledWith = () => lastPageReference;
