// One Jest run, two worlds: the LWC components in jsdom with the Salesforce preset,
// and the relay/sandboxes in plain Node with ts-jest (type-checking is `npm run typecheck`).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
    projects: [
        {
            ...jestConfig,
            displayName: 'lwc',
            roots: ['<rootDir>/force-app'],
            setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv || []), '<rootDir>/jest-sa11y-setup.js'],
            moduleNameMapper: {
                '^lightning/navigation$': '<rootDir>/force-app/test/jest-mocks/lightning/navigation',
                '^lightning/platformShowToastEvent$':
                    '<rootDir>/force-app/test/jest-mocks/lightning/platformShowToastEvent'
            },
            modulePathIgnorePatterns: ['<rootDir>/.localdevserver']
        },
        {
            displayName: 'server',
            rootDir: __dirname,
            roots: ['<rootDir>/server'],
            testEnvironment: 'node',
            testMatch: ['**/*.test.ts'],
            moduleFileExtensions: ['ts', 'js', 'json'],
            transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] }
        }
    ]
};
