const { defineConfig, globalIgnores } = require('eslint/config');
const eslintJs = require('@eslint/js');
const globals = require('globals');
const jestPlugin = require('eslint-plugin-jest');
const tseslint = require('typescript-eslint');
const salesforceLwcConfig = require('@salesforce/eslint-config-lwc/recommended');

module.exports = defineConfig([
    globalIgnores(['node_modules/', 'coverage/', 'test-results/', 'bench-results/', '.sf/', '.sfdx/', 'data/']),
    {
        files: ['force-app/main/default/lwc/**/*.js', 'force-app/main/default/aura/**/*.js'],
        extends: [salesforceLwcConfig]
    },
    {
        files: ['force-app/main/default/lwc/**/*.test.js'],
        extends: [salesforceLwcConfig],
        rules: { '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off' },
        languageOptions: { globals: { ...globals.node } }
    },
    {
        files: ['force-app/test/jest-mocks/**/*.js'],
        extends: [eslintJs.configs.recommended],
        languageOptions: {
            sourceType: 'module',
            globals: { ...globals.node, ...globals.es2021, ...jestPlugin.environments.globals.globals }
        },
        plugins: { jest: jestPlugin }
    },
    {
        files: ['*.js', '.ci/**/*.js'],
        extends: [eslintJs.configs.recommended],
        languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } }
    },
    {
        files: ['jest-sa11y-setup.js'],
        languageOptions: { sourceType: 'module' }
    },
    {
        files: ['server/**/*.ts'],
        extends: [eslintJs.configs.recommended, ...tseslint.configs.recommended],
        languageOptions: { globals: { ...globals.node } },
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
        }
    },
    {
        files: ['server/**/*.test.ts'],
        plugins: { jest: jestPlugin },
        languageOptions: { globals: { ...jestPlugin.environments.globals.globals } },
        rules: {
            ...jestPlugin.configs.recommended.rules,
            // A helper named expect… (expectEverySynced, ...) asserts for the test that calls it.
            'jest/expect-expect': ['warn', { assertFunctionNames: ['expect', 'expect*'] }]
        }
    }
]);
