package org.zoobench.layers;

import org.junit.jupiter.api.Test;
import org.zoobench.UserInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayerImplTest {

    @Test
    void unknownImplementationIsAUserError() {
        assertEquals(LayerImpl.STOCK, LayerImpl.parse("Stock"));
        assertThrows(UserInputException.class, () -> LayerImpl.parse("turbo"));
    }
}
