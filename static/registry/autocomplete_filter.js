'use strict';
// A list filter's autocomplete box (kolregistry.admin.AutocompleteFilter): picking a row opens the list
// filtered by it, clearing the box the list without that filter.
{
    const $ = django.jQuery;
    $(function() {
        $('select[data-filter-param]').on('change', function() {
            const base = this.dataset.filterUrl;
            const chosen = this.value
                ? (base === '?' ? '' : '&') + encodeURIComponent(this.dataset.filterParam) + '=' + encodeURIComponent(this.value)
                : '';
            window.location.href = base + chosen;
        });
    });
}
